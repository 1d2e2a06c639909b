/** Accounts and sign-in: registration, email verification, passwords, sessions, access and refresh tokens, JWKS. */
@NullMarked
@ApplicationModule(displayName = "Identity")
package dev.gatehouse.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
