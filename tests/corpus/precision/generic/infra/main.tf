variable "db_password" {
  description = "Master password of the storefront database"
  type        = string
  sensitive   = true
}

variable "api_key_name" {
  type    = string
  default = "storefront-ci"
}

resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "storefront" {
  identifier = "storefront"
  username   = "storefront"
  password   = random_password.db.result
  kms_key_id = aws_kms_key.db.arn
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ password = random_password.db.result })
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}
