/** API keys: organizations' API keys, the product backend's service keys, and key verification on the hot path. */
@NullMarked
@ApplicationModule(displayName = "API keys")
package dev.gatehouse.apikey;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
