class SessionsController < ApplicationController
  API_KEY = ENV.fetch("STOREFRONT_API_KEY")
  TOKEN = ENV['STOREFRONT_TOKEN']

  def create
    password = params[:password]
    user = User.find_by(email: params[:email])
    if user&.authenticate(password)
      token = SecureRandom.hex(32)
      render json: { token: token, token_type: "bearer" }
    else
      render json: { error: "invalid_password" }, status: :unauthorized
    end
  end

  private

  def client
    Storefront::Client.new(api_key: Rails.application.credentials.storefront[:api_key], password: credentials.password)
  end
end
