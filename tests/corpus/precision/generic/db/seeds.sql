-- Development seed data. Passwords are bcrypt hashes of throwaway values.
INSERT INTO users (id, email, password_hash) VALUES
  ('0b9c2d4e-6f10-4a8b-9c3d-5e7f9a1b2c3d', 'alice@example.com', '$2b$12$KIXQJ1rP0yB8w1sL6Zb9e.Wq4m2VdQy7pXc5r8TzH3nFjU0aLkS6u'),
  ('1c0d3e5f-7a21-4b9c-8d4e-6f8a0b2c4d5e', 'bob@example.com',   '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$4fXvYc2qZ8Lk0pR7sT1uW3yA5bC9dE2fG6hJ8kM0nPo');
INSERT INTO settings (key, value) VALUES ('password_min_length', '12'), ('token_ttl', '3600');
