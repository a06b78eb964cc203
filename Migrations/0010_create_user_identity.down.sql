DROP TABLE user_identity;
