package shop.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/api/auth")
public class AuthController {
    private static final String TOKEN_PREFIX = "Bearer ";
    private static final String PASSWORD_PARAM = "password";
    private static final int PASSWORD_MIN_LENGTH = 12;

    @Value("${jwt.secret}")
    private String jwtSecret;

    @Value("${storefront.api-key:}")
    private String apiKey;

    private final PasswordEncoder passwordEncoder;

    public AuthController(PasswordEncoder passwordEncoder) {
        this.passwordEncoder = passwordEncoder;
    }

    @PostMapping("/register")
    public UserDto register(@RequestBody RegisterRequest request) {
        String password = request.getPassword();
        User user = new User(request.getUsername());
        user.setPassword(passwordEncoder.encode(password));
        user.setApiKey(ApiKeys.generate());
        String token = tokenService.issue(user);
        return new UserDto(user.getId(), token);
    }

    @PostMapping("/login")
    public TokenDto login(@RequestParam("username") String username, @RequestParam(PASSWORD_PARAM) String password) {
        return new TokenDto(tokenService.authenticate(username, password.toCharArray()));
    }
}
