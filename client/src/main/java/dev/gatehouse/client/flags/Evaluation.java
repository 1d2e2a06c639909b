package dev.gatehouse.client.flags;

/**
 * The answer for one flag: whether it is on, and its variant ({@link VariantResult#DISABLED} when it is off or
 * has no variant for the context).
 */
public record Evaluation(String key, boolean enabled, VariantResult variant) {

    /** The answer for a flag that does not exist: off. */
    public static Evaluation unknown(String key) {
        return new Evaluation(key, false, VariantResult.DISABLED);
    }
}
