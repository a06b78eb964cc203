DROP TABLE auth_refresh_token;
DROP TABLE auth_session;
