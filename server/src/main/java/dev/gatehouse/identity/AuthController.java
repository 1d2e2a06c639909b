package dev.gatehouse.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Public sign-in routes: register, verify, login, refresh, logout, password reset. */
@RequiresPermission(Permission.PUBLIC)
@IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.CARRIES_CREDENTIALS)
@RestController
@RequestMapping(path = "/api/v1/auth", produces = "application/json")
class AuthController {

    private final Accounts accounts;
    private final SignIn signIn;
    private final SignInThrottle throttle;
    private final MfaSignIn mfaSignIn;

    AuthController(Accounts accounts, SignIn signIn, SignInThrottle throttle, MfaSignIn mfaSignIn) {
        this.accounts = accounts;
        this.signIn = signIn;
        this.throttle = throttle;
        this.mfaSignIn = mfaSignIn;
    }

    record RegisterRequest(
            @NotBlank @Size(max = 254) String email,
            @NotNull @Size(max = 1024) String password,

            @Nullable @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String name,

            @Nullable @Size(max = 35) String locale) {}

    record Accepted(String status) {}

    @Operation(
            operationId = "register",
            summary = "Register with email and password; a verification link is emailed",
            description = "name is optional: without it, the account and its personal organization are named after"
                    + " the email address's local part (alice for alice@example.com). Sign-ups are limited per"
                    + " client IP (5 an hour by default, 429 too_many_attempts).")
    @PostMapping(path = "/register", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    Accepted register(@Valid @RequestBody RegisterRequest body, HttpServletRequest request) {
        String ip = request.getRemoteAddr();
        throttle.check(List.of(SignInThrottle.key(SignInThrottle.Kind.REGISTER_IP, ip)));
        try {
            accounts.register(body.email(), body.password(), body.name(), body.locale());
        } finally {
            // Every attempt counts, accepted or refused: the limit is on sign-up traffic per IP.
            throttle.registrationAttempted(ip);
        }
        return new Accepted("verification_email_sent");
    }

    record TokenRequest(@NotBlank @Size(max = 200) String token) {}

    record Verified(boolean emailVerified) {}

    @Operation(operationId = "verifyEmail", summary = "Verify the email address with the token from the emailed link")
    @PostMapping(path = "/verify-email", consumes = "application/json")
    Verified verifyEmail(@Valid @RequestBody TokenRequest body) {
        accounts.verifyEmail(body.token());
        return new Verified(true);
    }

    record EmailRequest(@NotBlank @Size(max = 254) String email) {}

    @Operation(
            operationId = "resendVerificationEmail",
            summary = "Send a new verification link (always 202: reveals nothing about accounts)")
    @PostMapping(path = "/verify-email/resend", consumes = "application/json")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted resend(@Valid @RequestBody EmailRequest body) {
        accounts.requestVerificationResend(body.email());
        return new Accepted("accepted");
    }

    record LoginRequest(
            @NotBlank @Size(max = 254) String email,
            @NotNull @Size(max = 1024) String password) {}

    record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
        static TokenResponse of(SignIn.Tokens t) {
            return new TokenResponse(t.accessToken(), t.refreshToken(), "Bearer", t.expiresIn());
        }
    }

    @Operation(
            operationId = "login",
            summary = "Sign in with email and password",
            description = "With two-factor sign-in on, a right password answers 401 mfa_required with an"
                    + " mfa_token for POST /api/v1/auth/login/mfa.")
    @PostMapping(path = "/login", consumes = "application/json")
    TokenResponse login(@Valid @RequestBody LoginRequest body, HttpServletRequest request) {
        return TokenResponse.of(signIn.login(body.email(), body.password(), device(request)));
    }

    record LoginMfaRequest(
            @NotBlank @Size(max = 200) String mfaToken,

            @Nullable @Pattern(regexp = MfaController.CODE_PATTERN, message = MfaController.CODE_MESSAGE)
            String code,

            @Nullable @Size(min = 1, max = 64) String recoveryCode) {

        @JsonIgnore
        @Schema(hidden = true)
        @AssertTrue(message = "Send exactly one of code and recovery_code.")
        boolean isOneFactor() {
            return (code == null) != (recoveryCode == null);
        }
    }

    @Operation(
            operationId = "loginMfa",
            summary = "Finish a two-factor sign-in: the mfa_token from login plus a TOTP code or a recovery code")
    @PostMapping(path = "/login/mfa", consumes = "application/json")
    TokenResponse loginMfa(@Valid @RequestBody LoginMfaRequest body, HttpServletRequest request) {
        return TokenResponse.of(mfaSignIn.complete(body.mfaToken(), body.code(), body.recoveryCode(), device(request)));
    }

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {}

    @Operation(
            operationId = "refreshTokens",
            summary = "Trade a refresh token for a new access token and a new refresh token (rotation)")
    @PostMapping(path = "/token/refresh", consumes = "application/json")
    TokenResponse refresh(@Valid @RequestBody RefreshRequest body, HttpServletRequest request) {
        return TokenResponse.of(signIn.refresh(body.refreshToken(), device(request)));
    }

    @Operation(operationId = "logout", summary = "End the session the refresh token belongs to")
    @PostMapping(path = "/logout", consumes = "application/json")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(@Valid @RequestBody RefreshRequest body) {
        signIn.logout(body.refreshToken());
    }

    @Operation(
            operationId = "requestPasswordReset",
            summary = "Email a password reset link (always 202: reveals nothing about accounts)")
    @PostMapping(path = "/password/forgot", consumes = "application/json")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted forgot(@Valid @RequestBody EmailRequest body) {
        accounts.requestPasswordReset(body.email());
        return new Accepted("accepted");
    }

    record ResetRequest(
            @NotBlank @Size(max = 200) String token,
            @NotNull @Size(max = 1024) String newPassword) {}

    @Operation(
            operationId = "resetPassword",
            summary = "Set a new password with the token from the emailed link; ends every session")
    @PostMapping(path = "/password/reset", consumes = "application/json")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void reset(@Valid @RequestBody ResetRequest body) {
        accounts.resetPassword(body.token(), body.newPassword());
    }

    static SignIn.Device device(HttpServletRequest request) {
        return new SignIn.Device(request.getRemoteAddr(), request.getHeader("User-Agent"));
    }
}
