DROP TABLE auth_recovery_code;
DROP TABLE auth_totp;
