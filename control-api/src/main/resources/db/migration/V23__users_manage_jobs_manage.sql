-- users.manage: change another account's settings that the account itself may not (its maturity limit).
-- jobs.manage: see, cancel and retry every packaging job and read its log (editors see the jobs they queued).
-- Admins get both; custom roles may be given them.
update roles set permissions = array_append(permissions, 'users.manage')
 where name = 'admin' and not ('users.manage' = any(permissions));
update roles set permissions = array_append(permissions, 'jobs.manage')
 where name = 'admin' and not ('jobs.manage' = any(permissions));
