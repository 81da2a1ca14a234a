terraform {
  required_providers {
    aws     = { source = "hashicorp/aws", version = "~> 5.0" }
    azurerm = { source = "hashicorp/azurerm", version = "~> 3.100" }
  }
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "platform/prod.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region     = var.region
  access_key = var.aws_access_key_id
  secret_key = var.aws_secret_access_key
}

provider "azurerm" {
  features {}
  client_id       = var.arm_client_id
  client_secret   = var.arm_client_secret
  tenant_id       = var.arm_tenant_id
  subscription_id = var.arm_subscription_id
}

variable "db_password" {
  description = "Master password for the database; supplied by TF_VAR_db_password in CI."
  type        = string
  sensitive   = true
}

variable "api_token_ttl" {
  description = "Lifetime of issued API tokens."
  type        = string
  default     = "3600s"
}

variable "secret_name" {
  type    = string
  default = "prod/db/master"
}

resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "main" {
  identifier          = "prod-main"
  engine              = "postgres"
  instance_class      = "db.r6g.large"
  username            = "app"
  password            = random_password.db.result
  skip_final_snapshot = false
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ password = random_password.db.result })
}

output "db_endpoint" {
  value = aws_db_instance.main.endpoint
}
