package dev.gatehouse.identity;

import dev.gatehouse.platform.ApiException;
import dev.gatehouse.platform.Problems;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The identity module's problems, each a fact with a stable code. */
final class IdentityFailures {

    private IdentityFailures() {}

    static ApiException invalidEmail() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT, "invalid_email", "Invalid email", "The email address is not valid.");
    }

    static ApiException disposableEmail() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "disposable_email",
                "Disposable email",
                "Disposable email addresses cannot be used; use a permanent address.");
    }

    static ApiException weakPassword(String code, String detail) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, code, "Password rejected", detail);
    }

    /** Same answer for unknown email and wrong password, so sign-in reveals nothing about accounts. */
    static ApiException invalidCredentials() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED, "invalid_credentials", "Invalid credentials", "Email or password is wrong.");
    }

    static ApiException emailNotVerified() {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "email_not_verified",
                "Email not verified",
                "Verify your email address first; the link is in the email we sent. You can ask for a new one.");
    }

    static ApiException accountSuspended() {
        return Problems.of(
                HttpStatus.FORBIDDEN, "account_suspended", "Account suspended", "This account is suspended.");
    }

    static ApiException tokenInvalid(String what) {
        return Problems.of(
                HttpStatus.BAD_REQUEST,
                "invalid_token",
                "Invalid token",
                "The " + what + " link is invalid, expired or already used. Ask for a new one.");
    }

    static ApiException refreshTokenInvalid() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "invalid_refresh_token",
                "Invalid refresh token",
                "The refresh token is not valid.");
    }

    static ApiException refreshTokenExpired() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "refresh_token_expired",
                "Refresh token expired",
                "The session has expired; sign in again.");
    }

    /** RFC 9700 §4.14.2: a rotated token presented again means it leaked; the whole family is revoked. */
    static ApiException refreshTokenReused() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "refresh_token_reused",
                "Refresh token reused",
                "This refresh token was already used; the session has been revoked. Sign in again.");
    }

    static ApiException accessTokenInvalid(String detail) {
        return Problems.of(HttpStatus.UNAUTHORIZED, "invalid_token", "Invalid token", detail);
    }

    static ApiException sessionRevoked() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "session_revoked",
                "Session revoked",
                "This session has ended; sign in again.");
    }

    static ApiException wrongPassword() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid_current_password",
                "Wrong password",
                "The current password is wrong.");
    }

    /**
     * The password was right and the account has two-factor sign-in: finish with the second factor. Only
     * ever said after the password is proven, so it reveals nothing to someone who does not know it.
     */
    static ApiException mfaRequired(String mfaToken, Duration ttl) {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "mfa_required",
                "Second factor required",
                "Two-factor sign-in is on for this account: send mfa_token with a code from the authenticator"
                        + " app (or a recovery code) to POST /api/v1/auth/login/mfa.",
                Map.of("mfa_token", mfaToken, "expires_in", ttl.toSeconds()));
    }

    static ApiException mfaTokenInvalid() {
        return Problems.of(
                HttpStatus.UNAUTHORIZED,
                "invalid_mfa_token",
                "Invalid MFA token",
                "The MFA token is invalid, expired or used up; sign in with the password again.");
    }

    /**
     * A wrong, replayed or unknown code. 401 on the public sign-in route (like invalid_credentials); 422 on
     * signed-in routes, where a 401 would make clients think their access token is bad.
     */
    static ApiException mfaCodeInvalid(boolean signIn) {
        return Problems.of(
                signIn ? HttpStatus.UNAUTHORIZED : HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid_mfa_code",
                "Invalid code",
                "The code is wrong, expired or already used. Codes from the authenticator app work once;"
                        + " recovery codes work once each.");
    }

    static ApiException stepUpRequired(Duration maxAge) {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "step_up_required",
                "Step-up required",
                "This action needs a recent proof of identity: POST /api/v1/me/step-up, then try again.",
                Map.of("max_age_seconds", maxAge.toSeconds()));
    }

    static ApiException stepUpUnavailable() {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "This action needs the user's own session; it is not available to this token.");
    }

    static ApiException mfaNotEnabled() {
        return Problems.of(
                HttpStatus.CONFLICT,
                "mfa_not_enabled",
                "Two-factor sign-in is off",
                "Two-factor sign-in is not enabled for this account.");
    }

    static ApiException mfaEnrollmentNotStarted() {
        return Problems.of(
                HttpStatus.CONFLICT,
                "mfa_enrollment_not_started",
                "No enrollment in progress",
                "Start the enrollment first (POST /api/v1/me/mfa/totp), then confirm it with a code.");
    }

    static ApiException mfaCodeRequired() {
        return Problems.of(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "mfa_code_required",
                "Code required",
                "Two-factor sign-in is on: prove yourself with a code from the authenticator app or a recovery"
                        + " code, not the password.");
    }

    static ApiException emailTaken() {
        return Problems.of(
                HttpStatus.CONFLICT,
                "email_taken",
                "Email address taken",
                "Another account uses this email address now; the change was not made.");
    }

    static ApiException notUnderImpersonation() {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                "impersonation_forbidden",
                "Not allowed while impersonating",
                "An impersonation token cannot change the user's credentials.");
    }

    static ApiException cannotImpersonate(String detail) {
        return Problems.of(HttpStatus.FORBIDDEN, "impersonation_not_allowed", "Impersonation not allowed", detail);
    }

    static ApiException userNotActive() {
        return Problems.of(
                HttpStatus.CONFLICT,
                "user_not_active",
                "User not active",
                "The user is suspended; activate them first.");
    }

    static ApiException userDeleted() {
        return Problems.of(
                HttpStatus.CONFLICT,
                "user_deleted",
                "User deleted",
                "The user was deleted; nothing more can be done to" + " the account.");
    }

    static ApiException notOnYourself(String what) {
        return Problems.of(
                HttpStatus.CONFLICT, "not_on_yourself", "Not on your own account", "You cannot " + what + " yourself.");
    }

    static ApiException superadminOnly(String what) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Only a superadmin can " + what + ".");
    }
}
