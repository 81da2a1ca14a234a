package api

import (
	"net/http"
	"os"
)

type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password" validate:"required,min=12"`
	Token    string `json:"token,omitempty"`
}

var (
	jwtSecret = []byte(os.Getenv("JWT_SECRET"))
	apiToken  = os.Getenv("API_TOKEN")
)

const passwordHeader = "X-Password-Reset"

func Login(w http.ResponseWriter, r *http.Request) {
	password := r.FormValue("password")
	token := r.Header.Get("Authorization")
	if password == "" || token == "" {
		http.Error(w, "missing credentials", http.StatusUnauthorized)
		return
	}
	req, _ := http.NewRequest(http.MethodGet, upstream, nil)
	req.SetBasicAuth(os.Getenv("UPSTREAM_USER"), os.Getenv("UPSTREAM_PASSWORD"))
	req.Header.Set("Authorization", "Bearer "+apiToken)
}
