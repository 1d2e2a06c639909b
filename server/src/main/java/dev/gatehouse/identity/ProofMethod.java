package dev.gatehouse.identity;

/** How a user proved themselves in a second-factor challenge or a step-up. */
public enum ProofMethod {
    /** The account password (step-up only, and only while two-factor sign-in is off). */
    PASSWORD,
    /** A code from the user's TOTP authenticator app. */
    TOTP,
    /** One of the user's single-use recovery codes. */
    RECOVERY_CODE
}
