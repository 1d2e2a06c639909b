-- Identity, for plans and admin deletion: a user may be soft-deleted by an admin (status 'deleted', the row kept,
-- the email freed), and a session may end because the plan's concurrent-session limit made room for a newer one
-- or because its user was deleted. The lists are UserStatus and RevokeReason (StateColumnsTest keeps them equal).
alter table users drop constraint users_status_check;
alter table users add constraint users_status_check check (status in ('active', 'suspended', 'deleted'));

alter table sessions drop constraint sessions_revoke_reason;
alter table sessions add constraint sessions_revoke_reason check (revoke_reason in (
    'logout', 'revoked_by_user', 'revoked_by_admin', 'password_changed', 'password_reset', 'roles_changed',
    'suspended', 'refresh_token_reused', 'step_up_failures', 'session_limit', 'user_deleted'));
