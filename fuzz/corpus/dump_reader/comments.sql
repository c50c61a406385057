-- comment; here
# hash ; comment
/* block ; */ SELECT 1 /* mid */;
/*!40101 SET NAMES utf8mb4 */;
/*M!100616 SET @x=1 */;
SELECT /*+ hint */ 2;