package dev.gatehouse.catalog;

import java.util.Map;

/**
 * Which plans something outside the catalog still points at, so that a new catalog cannot drop a plan that is
 * in use: organizations subscribed to a plan that no longer exists would silently lose what they pay for. The
 * subscription module provides one; the catalog refuses a file that removes a plan with references.
 */
public interface PlanReferences {

    /** Plan keys in use, each with how many references it has (e.g. organizations subscribed to it). */
    Map<String, Long> plansInUse();
}
