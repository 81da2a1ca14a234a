import { z } from "zod";

export interface LoginForm {
  username: string;
  password: string;
  rememberToken?: boolean;
}

const schema = z.object({ username: z.string().email(), password: z.string().min(12) });

export class SessionService {
  private readonly apiKey = process.env.STOREFRONT_API_KEY ?? "";
  private token: string | null = localStorage.getItem("token");
  private secret = import.meta.env.VITE_SESSION_SECRET;

  constructor(private readonly baseUrl: string) {}

  headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, "X-API-Key": this.apiKey };
  }

  async login(form: LoginForm): Promise<void> {
    const { username, password } = schema.parse(form);
    const res = await fetch(`${this.baseUrl}/session`, { method: "POST", body: JSON.stringify({ username, password }) });
    const body = await res.json();
    this.token = body.access_token;
    const passwordInput = document.querySelector<HTMLInputElement>("#password")!;
    passwordInput.type = "password";
    passwordInput.value = "";
  }
}

export const fieldNames = { password: "password", token: "access_token", apiKey: "x-api-key" };
