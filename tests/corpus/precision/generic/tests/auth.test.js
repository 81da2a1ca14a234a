import { AuthClient } from "../src/auth-client";

describe("AuthClient", () => {
  const password = "correct-horse-battery-staple";
  const apiKey = "test-api-key";

  it("stores the token after login", async () => {
    fetch.mockResponseOnce(JSON.stringify({ access_token: "mock-access-token", token_type: "bearer" }));
    const client = new AuthClient({ baseUrl: "http://localhost", secret: "shhh" });
    await client.login("alice@example.com", password);
    expect(client.token).toBe("mock-access-token");
    expect(client.authHeaders()).toEqual({ Authorization: "Bearer mock-access-token" });
  });

  it("rejects short passwords", async () => {
    const client = new AuthClient({ baseUrl: "http://localhost", token: "dummy-token" });
    await expect(client.login("alice@example.com", "short")).rejects.toThrow();
    await expect(client.login("alice@example.com", { password: "password123" })).rejects.toThrow();
  });
});
