/**
 * Second-factor mechanics of identity: TOTP (RFC 6238) and its stored factors, recovery codes, pending MFA
 * challenges and their purge, otpauth URIs and QR codes. Internal to identity; the flows that tie them to
 * users, sessions and sign-in (enrolment, MFA sign-in, step-up) stay in the module's root package.
 */
@NullMarked
package dev.gatehouse.identity.mfa;

import org.jspecify.annotations.NullMarked;
