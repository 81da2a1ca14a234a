using System.ComponentModel.DataAnnotations;
using System.Net;

public class LoginModel
{
    [Required]
    public string Username { get; set; }

    [Required, DataType(DataType.Password), MinLength(12)]
    public string Password { get; set; }

    public string ApiKey => Configuration["Storefront:ApiKey"];

    public NetworkCredential Credential() =>
        new NetworkCredential(Username, Environment.GetEnvironmentVariable("SMTP_PASSWORD"));

    private const string PasswordPolicy = "MinLength12";
    private readonly string _secret = Environment.GetEnvironmentVariable("APP_SECRET");
}
