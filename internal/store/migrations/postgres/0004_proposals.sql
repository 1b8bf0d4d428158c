-- Citizens' proposals, PostgreSQL dialect: the digest of each proposal's private follow key (never
-- the key), the cities and domains a proposal concerns (for the public lists' filters), one row
-- per supporter (an account or a browser) with the digest of the address it came from, and the
-- abuse limits' counters per address.
CREATE TABLE proposal_keys (
	proposal_id BIGINT PRIMARY KEY REFERENCES proposals(id),
	digest      TEXT NOT NULL UNIQUE
);
CREATE TABLE proposal_cities (
	proposal_id BIGINT NOT NULL REFERENCES proposals(id),
	city_id     BIGINT NOT NULL REFERENCES cities(id),
	PRIMARY KEY (proposal_id, city_id)
);
CREATE INDEX proposal_cities_city ON proposal_cities(city_id);
CREATE TABLE proposal_domains (
	proposal_id BIGINT NOT NULL REFERENCES proposals(id),
	domain      TEXT NOT NULL,
	PRIMARY KEY (proposal_id, domain)
);
CREATE INDEX proposal_domains_domain ON proposal_domains(domain);
CREATE TABLE proposal_supports (
	proposal_id BIGINT NOT NULL REFERENCES proposals(id),
	supporter   TEXT NOT NULL,
	address     TEXT NOT NULL,
	at          TEXT NOT NULL,
	PRIMARY KEY (proposal_id, supporter)
);
CREATE INDEX proposal_supports_address ON proposal_supports(proposal_id, address);
CREATE TABLE throttle (
	bucket  TEXT NOT NULL,
	subject TEXT NOT NULL,
	at      TEXT NOT NULL
);
CREATE INDEX throttle_subject ON throttle(bucket, subject, at);
CREATE INDEX proposals_status ON proposals(status);
INSERT INTO proposal_cities (proposal_id, city_id)
	SELECT p.id, a.city_a FROM proposals p JOIN agreements a ON a.id = p.agreement_id
	UNION SELECT p.id, a.city_b FROM proposals p JOIN agreements a ON a.id = p.agreement_id;
