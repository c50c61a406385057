SELECT 'open string;
SELECT 2;