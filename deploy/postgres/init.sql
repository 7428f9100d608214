-- One database per subgraph deployment (as in production): run once by the postgres image
-- on an empty volume (/docker-entrypoint-initdb.d). docker-compose.yml's DATABASE_URLs name these.
CREATE DATABASE bm_member;
CREATE DATABASE bm_loyalty;
CREATE DATABASE bm_order;
CREATE DATABASE bm_catalogue_lumen;
CREATE DATABASE bm_catalogue_vitalis;
CREATE DATABASE bm_content_lumen;
CREATE DATABASE bm_content_vitalis;
