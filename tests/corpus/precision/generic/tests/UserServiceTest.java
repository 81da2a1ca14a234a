class UserServiceTest {
    private static final String PASSWORD = "password";
    private static final String API_KEY = "test-key";

    @Test
    void encodesPasswordOnRegister() {
        RegisterRequest request = new RegisterRequest("alice", "Password123!");
        User user = service.register(request);
        assertThat(user.getPassword()).isNotEqualTo("Password123!");
        user.setPassword("changeme");
        form.setPassword("password");
        ds.setPassword("testpassword");
    }
}
