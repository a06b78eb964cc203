DROP TABLE auth_used_token;
