-- Lookups an erasure makes for every person it reaches (issue 18): without them a
-- purge of many people reads these tables once per person.
-- Who else holds this phone (a shared switchboard on a contact person): kept off the suppression list.
CREATE INDEX contacts_phone ON contacts (phone_e164) WHERE phone_e164 IS NOT NULL;
-- Deleting a contact person sets interactions.contact_id to NULL (ON DELETE SET NULL).
CREATE INDEX interactions_contact ON interactions (contact_id) WHERE contact_id IS NOT NULL;
-- "These two are different people" decisions naming the erased uid on either side.
CREATE INDEX dedupe_decisions_uid_b ON dedupe_decisions (uid_b);
