"""Settings for the demo service (every credential here is FAKE, planted for the demo)."""

DEBUG = False
DATABASE_HOST = "db.demo.test"
db_password = "Fake-Pa55w0rd-4-demo!"

AWS_REGION = "eu-west-1"
aws_access_key_id = "AKIAQ3FAKE7KEY2DEMOX"
aws_secret_access_key = "Q3fake/FAKE+secret0Key0For0Leakguard0T3s"
