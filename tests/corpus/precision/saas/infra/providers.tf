variable "datadog_api_key" {
  type      = string
  sensitive = true
}

variable "pagerduty_token" {
  type      = string
  sensitive = true
}

provider "datadog" {
  api_key = var.datadog_api_key
  app_key = var.datadog_app_key
}

provider "pagerduty" {
  token = var.pagerduty_token
}

provider "github" {
  owner = "acme"
  app_auth {
    id              = var.github_app_id
    installation_id = var.github_installation_id
    pem_file        = file(var.github_app_pem_path)
  }
}

resource "slack_conversation" "alerts" {
  name       = "alerts"
  is_private = false
}

data "vault_generic_secret" "stripe" {
  path = "secret/payments/stripe"
}
