# The flag-evaluation requirements of the OpenFeature specification (sections 1.3, 1.4 and 1.7), in the step
# language of the specification's own Gherkin suites (open-feature/spec, specification/assets/gherkin), run against
# GatehouseProvider polling a snapshot server on loopback that serves flags.json. The scenarios are written for
# Gatehouse's flag model, in which a flag that is off for a context answers the caller's default (see
# OpenFeatureSpecificationTest for how they map to the specification's suite).
Feature: Flag evaluation through GatehouseProvider

  Background:
    Given a stable provider

  # 1.3.1.1, 1.4.1.1, 1.4.3, 1.4.5, 1.4.6: typed evaluation with details
  Scenario Outline: Resolve values
    Given a <type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"
    And the flag key should be "<key>"
    And the variant should be "<variant>"
    And the reason should be "STATIC"

    Examples:
      | key          | type    | default | resolved_value                                                              | variant  |
      | boolean-flag | Boolean | false   | true                                                                        | on       |
      | string-flag  | String  | bye     | hi                                                                          | greeting |
      | integer-flag | Integer | 1       | 10                                                                          | ten      |
      | float-flag   | Float   | 0.1     | 0.5                                                                         | half     |
      | object-flag  | Object  | {}      | {\"showImages\": true, \"title\": \"Check out these pics!\", \"imagesPerPage\": 100} | template |

  # 1.4.7: zero values are values, not absent ones
  Scenario Outline: Resolves zero value
    Given a <type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"
    And the reason should be "STATIC"

    Examples:
      | key               | type    | default  | resolved_value |
      | string-zero-flag  | String  | hi       |                |
      | integer-zero-flag | Integer | 1        | 0              |
      | float-zero-flag   | Float   | 0.1      | 0.0            |
      | object-zero-flag  | Object  | {\"a\": 1} | {}             |

  # 1.4.7: TARGETING_MATCH when the context matches
  Scenario Outline: Resolves with targeting
    Given a <type>-flag with key "<key>" and a default value "<default>"
    And a context containing a key "email", with type "String" and with value "ballmer@macrosoft.com"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"
    And the reason should be "TARGETING_MATCH"

    Examples:
      | key                        | type    | default  | resolved_value |
      | boolean-targeted-flag      | Boolean | false    | true           |
      | string-targeted-zero-flag  | String  | hi       |                |
      | integer-targeted-zero-flag | Integer | 1        | 0              |
      | float-targeted-zero-flag   | Float   | 0.1      | 0.0            |
      | object-targeted-zero-flag  | Object  | {\"a\": 1} | {}             |

  # 1.4.7: DEFAULT when it does not (a boolean flag is off; a variant flag answers the caller's default)
  Scenario Outline: Resolves with targeting using the default
    Given a <type>-flag with key "<key>" and a default value "<default>"
    And a context containing a key "email", with type "String" and with value "ballmer@none.com"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"
    And the reason should be "DEFAULT"

    Examples:
      | key                        | type    | default  | resolved_value |
      | boolean-targeted-flag      | Boolean | true     | false          |
      | string-targeted-zero-flag  | String  | hi       | hi             |
      | integer-targeted-zero-flag | Integer | 1        | 1              |
      | float-targeted-zero-flag   | Float   | 0.1      | 0.1            |
      | object-targeted-zero-flag  | Object  | {\"a\": 1} | {\"a\": 1}       |

  # 1.3.1.1: an empty context, and a null value in the context, match no targeting
  Scenario Outline: Empty evaluation context
    Given a <type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<value>"
    And the reason should be "DEFAULT"

    Examples:
      | key                        | type    | default | value |
      | boolean-targeted-flag      | Boolean | true    | false |
      | string-targeted-zero-flag  | String  | str     | str   |
      | integer-targeted-zero-flag | Integer | 1       | 1     |

  Scenario Outline: Null context values
    Given a <type>-flag with key "<key>" and a default value "<default>"
    And a context containing a key "email" with null value
    When the flag was evaluated with details
    Then the resolved details value should be "<value>"
    And the reason should be "DEFAULT"

    Examples:
      | key                       | type    | default | value |
      | boolean-targeted-flag     | Boolean | true    | false |
      | string-targeted-zero-flag | String  | str     | str   |

  # 1.3.1.1: context attributes of every scalar type reach the constraints
  Scenario: Resolves based on context
    Given a String-flag with key "context-aware" and a default value "EXTERNAL"
    And a context containing a key "fn", with type "String" and with value "Sulisław"
    And a context containing a key "ln", with type "String" and with value "Świętopełk"
    And a context containing a key "age", with type "Integer" and with value "29"
    And a context containing a key "customer", with type "Boolean" and with value "false"
    When the flag was evaluated with details
    Then the resolved details value should be "INTERNAL"
    And the reason should be "TARGETING_MATCH"
    And the resolved flag value is "EXTERNAL" when the context is empty

  Scenario: Multiple context attributes targeting
    Given a Boolean-flag with key "staff-flag" and a default value "false"
    And a context containing a key "email", with type "String" and with value "ballmer@macrosoft.com"
    And a context containing a key "role", with type "String" and with value "admin"
    And a context containing a key "age", with type "Integer" and with value "65"
    And a context containing a key "customer", with type "Boolean" and with value "false"
    When the flag was evaluated with details
    Then the resolved details value should be "true"
    And the reason should be "TARGETING_MATCH"

  Scenario: One attribute short of the targeting
    Given a Boolean-flag with key "staff-flag" and a default value "false"
    And a context containing a key "email", with type "String" and with value "ballmer@macrosoft.com"
    And a context containing a key "role", with type "String" and with value "admin"
    And a context containing a key "age", with type "Float" and with value "20.5"
    And a context containing a key "customer", with type "Boolean" and with value "false"
    When the flag was evaluated with details
    Then the resolved details value should be "false"
    And the reason should be "DEFAULT"

  # the targeting key is the user id; org_id and plan are the standard fields of the same names
  Scenario: The targeting key is the user id
    Given a Boolean-flag with key "targeting-key-flag" and a default value "false"
    And a context containing a targeting key with value "user-42"
    When the flag was evaluated with details
    Then the resolved details value should be "true"
    And the reason should be "TARGETING_MATCH"

  Scenario Outline: Organization and plan targeting
    Given a Boolean-flag with key "org-flag" and a default value "false"
    And a context containing a key "<name>", with type "String" and with value "<value>"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"

    Examples:
      | name   | value | resolved_value |
      | org_id | org-7 | true           |
      | org_id | org-8 | false          |
      | plan   | team  | true           |
      | plan   | free  | false          |

  # a split: the variant is sticky on the targeting key, and an override wins
  Scenario: Variant overrides
    Given a String-flag with key "split-flag" and a default value "#000"
    And a context containing a targeting key with value "user-42"
    When the flag was evaluated with details
    Then the resolved details value should be "#00f"
    And the variant should be "blue"
    And the reason should be "TARGETING_MATCH"

  # 1.4.8, 1.4.9, 1.4.10, 1.4.13: FLAG_NOT_FOUND, with the default value and a message
  Scenario Outline: Flag not found error
    Given a <type>-flag with key "non-existent-flag" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<default>"
    And the reason should be "ERROR"
    And the error-code should be "FLAG_NOT_FOUND"
    And the error message should contain "flag non-existent-flag not found"

    Examples:
      | type    | default  |
      | Boolean | false    |
      | String  | bye      |
      | Integer | 1        |
      | Float   | 0.1      |
      | Object  | {\"a\": 1} |

  # 1.3.4: TYPE_MISMATCH, with the default value
  Scenario Outline: Type mismatch error
    Given a <requested_type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<default>"
    And the reason should be "ERROR"
    And the error-code should be "TYPE_MISMATCH"

    Examples:
      | key          | requested_type | default |
      | boolean-flag | String         | bye     |
      | boolean-flag | Integer        | 1       |
      | boolean-flag | Float          | 0.1     |
      | boolean-flag | Object         | {}      |
      | string-flag  | Boolean        | false   |
      | string-flag  | Integer        | 1       |
      | string-flag  | Object         | {}      |
      | float-flag   | Integer        | 1       |
      | object-flag  | String         | bye     |

  # 1.4.7: DISABLED for a disabled or killed flag
  Scenario Outline: DISABLED reason
    Given a <type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<resolved_value>"
    And the reason should be "DISABLED"

    Examples:
      | key                   | type    | default | resolved_value |
      | boolean-disabled-flag | Boolean | false   | false          |
      | boolean-killed-flag   | Boolean | true    | false          |
      | string-disabled-flag  | String  | bye     | bye            |

  # 1.4.14: flag metadata
  Scenario: Flag metadata in evaluation details
    Given a Boolean-flag with key "boolean-flag" and a default value "false"
    When the flag was evaluated with details
    Then the resolved metadata should contain
      | key              | metadata_type | value  |
      | snapshot_version | String        | spec-1 |

  # 1.7.1, 1.7.3, 1.7.4, 1.7.5: provider status
  Scenario Outline: Provider status accessibility
    Given a <status> provider
    Then the provider status should be "<status_code>"

    Examples:
      | status    | status_code |
      | stable    | READY       |
      | not ready | NOT_READY   |
      | error     | ERROR       |
      | fatal     | FATAL       |
      | stale     | STALE       |

  # 1.7.6, 1.7.7: short-circuits before the provider is ready or when it is fatal
  Scenario Outline: Provider not ready or fatal
    Given a <status> provider
    And a <type>-flag with key "<key>" and a default value "<default>"
    When the flag was evaluated with details
    Then the resolved details value should be "<default>"
    And the reason should be "ERROR"
    And the error-code should be "<error_code>"

    Examples:
      | status    | key          | type    | default  | error_code         |
      | not ready | boolean-flag | Boolean | false    | PROVIDER_NOT_READY |
      | not ready | object-flag  | Object  | {\"a\": 1} | PROVIDER_NOT_READY |
      | fatal     | boolean-flag | Boolean | false    | PROVIDER_FATAL     |
      | fatal     | string-flag  | String  | bye      | PROVIDER_FATAL     |

  # an error or stale provider still answers from the last snapshot it had (fail-safe)
  Scenario: A stale provider answers from its last snapshot
    Given a stale provider
    And a String-flag with key "string-flag" and a default value "bye"
    When the flag was evaluated with details
    Then the resolved details value should be "hi"
    And the reason should be "STATIC"

  Scenario: An error provider without a snapshot answers the default
    Given a error provider
    And a Boolean-flag with key "boolean-flag" and a default value "true"
    When the flag was evaluated with details
    Then the resolved details value should be "true"
    And the reason should be "ERROR"
    And the error-code should be "PROVIDER_NOT_READY"
