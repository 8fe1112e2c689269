-- users.manage: change another account's settings that the account itself may not (its maturity limit).
-- Admins get it; custom roles may be given it.
update roles set permissions = array_append(permissions, 'users.manage')
 where name = 'admin' and not ('users.manage' = any(permissions));
