region        = "eu-west-1"
instance_type = "t3.medium"
db_password   = "" # injected by CI from Vault
api_token     = "__API_TOKEN__"
