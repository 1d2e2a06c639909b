package dev.gatehouse.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.gatehouse.platform.Caller;
import dev.gatehouse.platform.CallerAuthentication;
import dev.gatehouse.platform.IgnoresIdempotencyKey;
import dev.gatehouse.platform.Permission;
import dev.gatehouse.platform.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in user's two-factor sign-in (TOTP enrollment, turning it off, recovery codes) and the
 * step-up that sensitive actions need. Every change here needs a recent proof ({@link StepUp}): a
 * stolen access token must not be able to turn 2FA off, nor turn it on with the thief's own
 * authenticator and lock the owner out.
 */
@RequiresPermission(Permission.SIGNED_IN)
@IgnoresIdempotencyKey(IgnoresIdempotencyKey.Reason.CARRIES_CREDENTIALS)
@RestController
@RequestMapping(path = "/api/v1/me", produces = "application/json")
class MfaController {

    /** A six-digit TOTP code; anything else is a malformed request, not a wrong guess. */
    static final String CODE_PATTERN = "^[0-9]{6}$";

    static final String CODE_MESSAGE = "Must be the 6-digit code from the authenticator app.";

    private final LiveSessions liveSessions;
    private final TwoFactor twoFactor;
    private final SessionStepUp stepUp;
    private final Clock clock;

    MfaController(LiveSessions liveSessions, TwoFactor twoFactor, SessionStepUp stepUp, Clock clock) {
        this.liveSessions = liveSessions;
        this.twoFactor = twoFactor;
        this.stepUp = stepUp;
        this.clock = clock;
    }

    /** These routes take no fields; an empty object or no body at all. Unknown fields are refused as anywhere. */
    record NoFields() {}

    record EnrollmentView(String secret, String otpauthUri, String qrPng) {}

    @Operation(
            operationId = "startTotpEnrollment",
            summary = "Start TOTP enrollment (or re-enrollment); needs a recent step-up",
            description = "Returns a new secret (base32), its otpauth URI and that URI as a base64 PNG QR code."
                    + " Nothing changes until POST /api/v1/me/mfa/totp/confirm; a re-enrollment keeps the current"
                    + " authenticator working until then.")
    @PostMapping("/mfa/totp")
    EnrollmentView start(@Valid @RequestBody(required = false) @Nullable NoFields body) {
        Caller caller = CallerAuthentication.current();
        User user = liveSessions.require(caller, clock.instant());
        stepUp.require(caller);
        TwoFactor.Enrollment e = twoFactor.start(user);
        return new EnrollmentView(e.secret(), e.otpauthUri(), e.qrPng());
    }

    record CodeRequest(
            @NotNull @Pattern(regexp = CODE_PATTERN, message = CODE_MESSAGE)
            String code) {}

    record RecoveryCodesView(List<String> recoveryCodes) {}

    @Operation(
            operationId = "confirmTotpEnrollment",
            summary = "Confirm the enrollment with a code: two-factor sign-in is on; returns 10 recovery codes once",
            description = "Needs a recent step-up. The recovery codes are shown only in this answer.")
    @PostMapping(path = "/mfa/totp/confirm", consumes = "application/json")
    RecoveryCodesView confirm(@Valid @RequestBody CodeRequest body) {
        Caller caller = CallerAuthentication.current();
        liveSessions.require(caller, clock.instant());
        stepUp.require(caller);
        return new RecoveryCodesView(twoFactor.confirm(caller.userId(), caller.sessionId(), body.code()));
    }

    @Operation(operationId = "disableTotp", summary = "Turn two-factor sign-in off; needs a recent step-up")
    @DeleteMapping("/mfa/totp")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void disable() {
        Caller caller = CallerAuthentication.current();
        liveSessions.require(caller, clock.instant());
        stepUp.require(caller);
        twoFactor.disable(caller.userId(), caller.sessionId());
    }

    @Operation(
            operationId = "regenerateRecoveryCodes",
            summary = "Replace the recovery codes (the old ones stop working); needs a recent step-up")
    @PostMapping("/mfa/recovery-codes")
    RecoveryCodesView regenerate(@Valid @RequestBody(required = false) @Nullable NoFields body) {
        Caller caller = CallerAuthentication.current();
        liveSessions.require(caller, clock.instant());
        stepUp.require(caller);
        return new RecoveryCodesView(twoFactor.regenerateRecoveryCodes(caller.userId(), caller.sessionId()));
    }

    record StepUpRequest(
            @Nullable @Size(max = 1024) String password,

            @Nullable @Pattern(regexp = CODE_PATTERN, message = CODE_MESSAGE)
            String code,

            @Nullable @Size(min = 1, max = 64) String recoveryCode) {

        @JsonIgnore
        @Schema(hidden = true)
        @AssertTrue(message = "Send exactly one of password, code and recovery_code.")
        boolean isOneProof() {
            return (password != null ? 1 : 0) + (code != null ? 1 : 0) + (recoveryCode != null ? 1 : 0) == 1;
        }
    }

    record SteppedUp(Instant authenticatedAt, Instant expiresAt) {}

    @Operation(
            operationId = "stepUp",
            summary = "Prove yourself again, so sensitive actions are allowed for the next few minutes",
            description = "With two-factor sign-in off: the password. With it on: a code from the authenticator"
                    + " app or a recovery code. Five wrong proofs in a row end the session.")
    @PostMapping(path = "/step-up", consumes = "application/json")
    SteppedUp stepUp(@Valid @RequestBody StepUpRequest body) {
        Caller caller = CallerAuthentication.current();
        liveSessions.require(caller, clock.instant());
        SessionStepUp.Proven proven = stepUp.prove(caller, body.password(), body.code(), body.recoveryCode());
        return new SteppedUp(proven.authenticatedAt(), proven.expiresAt());
    }
}
