-- Whether an account's public profile shows what it watched and rated (owner: account.ProfileStore); off by default.
alter table accounts add column show_activity boolean not null default false;
