package dev.gatehouse.identity;

import dev.gatehouse.platform.ApiException;
import org.springframework.http.HttpStatus;

/** The identity module's problems, each a fact with a stable code. */
final class IdentityFailures {

    private IdentityFailures() {}

    static ApiException invalidEmail() {
        return new Failure(
                HttpStatus.UNPROCESSABLE_CONTENT, "invalid_email", "Invalid email", "The email address is not valid.");
    }

    static ApiException disposableEmail() {
        return new Failure(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "disposable_email",
                "Disposable email",
                "Disposable email addresses cannot be used; use a permanent address.");
    }

    static ApiException weakPassword(String code, String detail) {
        return new Failure(HttpStatus.UNPROCESSABLE_CONTENT, code, "Password rejected", detail);
    }

    /** Same answer for unknown email and wrong password, so sign-in reveals nothing about accounts. */
    static ApiException invalidCredentials() {
        return new Failure(
                HttpStatus.UNAUTHORIZED, "invalid_credentials", "Invalid credentials", "Email or password is wrong.");
    }

    static ApiException emailNotVerified() {
        return new Failure(
                HttpStatus.FORBIDDEN,
                "email_not_verified",
                "Email not verified",
                "Verify your email address first; the link is in the email we sent. You can ask for a new one.");
    }

    static ApiException accountSuspended() {
        return new Failure(
                HttpStatus.FORBIDDEN, "account_suspended", "Account suspended", "This account is suspended.");
    }

    static ApiException tokenInvalid(String what) {
        return new Failure(
                HttpStatus.BAD_REQUEST,
                "invalid_token",
                "Invalid token",
                "The " + what + " link is invalid, expired or already used. Ask for a new one.");
    }

    static ApiException refreshTokenInvalid() {
        return new Failure(
                HttpStatus.UNAUTHORIZED,
                "invalid_refresh_token",
                "Invalid refresh token",
                "The refresh token is not valid.");
    }

    static ApiException refreshTokenExpired() {
        return new Failure(
                HttpStatus.UNAUTHORIZED,
                "refresh_token_expired",
                "Refresh token expired",
                "The session has expired; sign in again.");
    }

    /** RFC 9700 §4.14.2: a rotated token presented again means it leaked; the whole family is revoked. */
    static ApiException refreshTokenReused() {
        return new Failure(
                HttpStatus.UNAUTHORIZED,
                "refresh_token_reused",
                "Refresh token reused",
                "This refresh token was already used; the session has been revoked. Sign in again.");
    }

    static ApiException accessTokenInvalid(String detail) {
        return new Failure(HttpStatus.UNAUTHORIZED, "invalid_token", "Invalid token", detail);
    }

    static ApiException sessionRevoked() {
        return new Failure(
                HttpStatus.UNAUTHORIZED,
                "session_revoked",
                "Session revoked",
                "This session has ended; sign in again.");
    }

    static ApiException wrongPassword() {
        return new Failure(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid_current_password",
                "Wrong password",
                "The current password is wrong.");
    }

    private static final class Failure extends ApiException {
        Failure(HttpStatus status, String code, String title, String detail) {
            super(status, code, title, detail);
        }
    }

    static ApiException notUnderImpersonation() {
        return new Failure(
                HttpStatus.FORBIDDEN,
                "impersonation_forbidden",
                "Not allowed while impersonating",
                "An impersonation token cannot change the user's credentials.");
    }

    static ApiException cannotImpersonate(String detail) {
        return new Failure(HttpStatus.FORBIDDEN, "impersonation_not_allowed", "Impersonation not allowed", detail);
    }

    static ApiException userNotActive() {
        return new Failure(
                HttpStatus.CONFLICT,
                "user_not_active",
                "User not active",
                "The user is suspended; activate them first.");
    }

    static ApiException notOnYourself(String what) {
        return new Failure(
                HttpStatus.CONFLICT, "not_on_yourself", "Not on your own account", "You cannot " + what + " yourself.");
    }

    static ApiException superadminOnly(String what) {
        return new Failure(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Only a superadmin can " + what + ".");
    }
}
