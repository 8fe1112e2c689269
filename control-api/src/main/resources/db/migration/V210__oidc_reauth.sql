-- Re-authentication at an identity provider (#17): an account that has no password (made by a provider's sign-in)
-- proves it is its owner for deletion, e-mail and password changes by signing in at the provider again.

-- What an authorisation request is for. 'sign-in' (link_account null), 'link' (link_account: the account linking the
-- provider from its settings) or 'reauth' (link_account: the account re-authenticating, which the identity that
-- comes back must already be linked to). Existing rows are told apart by link_account.
alter table oidc_requests add column purpose text;
update oidc_requests set purpose = case when link_account is null then 'sign-in' else 'link' end;
alter table oidc_requests alter column purpose set not null;
alter table oidc_requests add constraint oidc_requests_purpose_check
    check (purpose in ('sign-in', 'link', 'reauth') and ((purpose = 'sign-in') = (link_account is null)));

-- 'reauth': a re-authentication's callback, which the web app exchanges for a 'reauth-proof', the short-lived,
-- single-use proof of the owner that deletion and credential changes accept instead of the password.
alter table oidc_handoffs drop constraint oidc_handoffs_kind_check;
alter table oidc_handoffs add constraint oidc_handoffs_kind_check
    check (kind in ('sign-in', 'exchange-link', 'link', 'reauth', 'reauth-proof'));
