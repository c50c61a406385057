/*M!999999\- enable the sandbox mode */
CREATE TABLE `a``b` (id int);
INSERT INTO `a``b` VALUES (1),(2);