-- States and roles: every column that holds one is checked against the list its Java enum defines
-- (StateColumnsTest keeps each check equal to its enum). users.status, users.roles, refresh_tokens.state,
-- org_members.role and org_invitations.role are checked since they were created; a session's revoke reason
-- was free text until now.
--
-- Existing rows fit: every writer of revoke_reason has passed one of these names since V4 (logout,
-- revoked_by_user, revoked_by_admin, password_changed, password_reset, roles_changed, suspended,
-- refresh_token_reused, step_up_failures), always together with revoked_at. Adding the constraints checks
-- every existing row, so a row that did not fit would stop this migration, naming the constraint, rather
-- than be let through.
alter table sessions add constraint sessions_revoke_reason check (revoke_reason in (
    'logout', 'revoked_by_user', 'revoked_by_admin', 'password_changed', 'password_reset', 'roles_changed',
    'suspended', 'refresh_token_reused', 'step_up_failures'));

-- A session is live (neither set) or ended (both): an end always says why.
alter table sessions add constraint sessions_revoked_with_reason check ((revoked_at is null) = (revoke_reason is null));
