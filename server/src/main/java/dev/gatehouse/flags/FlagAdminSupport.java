package dev.gatehouse.flags;

import java.util.function.Supplier;

/** Model construction from a request: the model's own refusals become 422 {@code invalid_flag}. */
final class FlagAdminSupport {

    private FlagAdminSupport() {}

    static <T> T model(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw FlagFailures.invalidFlag(e.getMessage());
        }
    }
}
