# The events requirements of the OpenFeature specification (section 5), in the step language of the
# specification's events suite, run against GatehouseProvider polling a snapshot server on loopback.
Feature: Provider events of GatehouseProvider

  Background:
    Given a provider which supports events and requires initialization

  # 5.3.1: PROVIDER_READY after a successful initialization
  Scenario: PROVIDER_READY is emitted
    When a PROVIDER_READY handler is attached
    And the provider is set and successfully initialized
    Then the PROVIDER_READY handler must run

  # 5.3.2: PROVIDER_ERROR after a failed one
  Scenario: PROVIDER_ERROR is emitted
    When a PROVIDER_ERROR handler is attached
    And the provider is set and fails to initialize
    Then the PROVIDER_ERROR handler must run
    And the provider status should be "ERROR"

  # a provider whose first fetch failed becomes READY with its first snapshot
  Scenario: An error provider recovers
    When a PROVIDER_READY handler is attached
    And the provider is set and fails to initialize
    And the server recovers
    Then the PROVIDER_READY handler must run
    And the provider status should be "READY"

  # 5.1.1, 5.2.2: PROVIDER_CONFIGURATION_CHANGED names the changed flags
  Scenario: PROVIDER_CONFIGURATION_CHANGED is emitted
    When a PROVIDER_CONFIGURATION_CHANGED handler is attached
    And the provider is set and successfully initialized
    And a flag with key "boolean-flag" is modified
    Then the PROVIDER_CONFIGURATION_CHANGED handler must run
    And the event details must indicate "boolean-flag" was altered
    And the event details must not indicate "string-flag" was altered

  Scenario: A kill switch is a configuration change
    When a PROVIDER_CONFIGURATION_CHANGED handler is attached
    And the provider is set and successfully initialized
    And the kill switch of "string-flag" is turned on
    Then the PROVIDER_CONFIGURATION_CHANGED handler must run
    And the event details must indicate "string-flag" was altered
    And a String-flag with key "string-flag" and a default value "bye"
    And the flag was evaluated with details
    And the reason should be "DISABLED"

  # STALE while the server fails (the last snapshot still answers), READY when it answers again
  Scenario: PROVIDER_STALE and back to PROVIDER_READY
    When a PROVIDER_STALE handler is attached
    And the provider is set and successfully initialized
    And the server fails
    Then the PROVIDER_STALE handler must run
    And the provider status should be "STALE"
    When a PROVIDER_READY handler is attached
    And the server recovers
    Then the PROVIDER_READY handler must run
    And the provider status should be "READY"

  # a refused service key while polling is an ERROR, not a fatal one: the last snapshot still answers
  Scenario: A refused service key makes the provider ERROR
    When a PROVIDER_ERROR handler is attached
    And the provider is set and successfully initialized
    And the server refuses the service key
    Then the PROVIDER_ERROR handler must run
    And the provider status should be "ERROR"
    And a Boolean-flag with key "boolean-flag" and a default value "false"
    And the flag was evaluated with details
    And the resolved details value should be "true"
