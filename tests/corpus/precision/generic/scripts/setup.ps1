# Bootstrap a Windows build agent.
$password = ConvertTo-SecureString $env:AGENT_PASSWORD -AsPlainText -Force
$credential = New-Object System.Management.Automation.PSCredential ("builder", $password)
$token = Read-Host -AsSecureString "Personal access token"
$env:STOREFRONT_API_KEY = [Environment]::GetEnvironmentVariable("STOREFRONT_API_KEY", "Machine")
$secret = Get-Secret -Name StorefrontClientSecret -AsPlainText
