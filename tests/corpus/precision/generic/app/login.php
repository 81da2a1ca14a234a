<?php
define('DB_PASSWORD', getenv('DB_PASSWORD'));
define('AUTH_KEY', getenv('WP_AUTH_KEY'));

$password = $_POST['password'] ?? '';
$token = bin2hex(random_bytes(32));

return [
    'username' => env('DB_USERNAME', 'forge'),
    'password' => env('DB_PASSWORD', ''),
    'api_key' => $_ENV['STOREFRONT_API_KEY'],
    'secret' => config('services.storefront.secret'),
];
