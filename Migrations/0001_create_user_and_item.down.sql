DROP TABLE item;
DROP TABLE "user";
