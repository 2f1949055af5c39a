Feature: Every message is checked against the official OCPP schemas
  The test CSMS and the reference charge point check each message against the official
  OCPP JSON schemas, so a missing or malformed field never passes unnoticed.

  @SchemaValidation
  Scenario Outline: A BootNotification without a model is rejected (OCPP <version>)
    Given the charge point speaks OCPP <version>
    When it describes itself in a BootNotification without its model
    Then the message is rejected because the field "<field>" is missing
    And the answer to it would be a "<code>" error

    @ocpp16
    Examples: OCPP 1.6
      | version | field            | code                         |
      | 1.6     | chargePointModel | OccurenceConstraintViolation |

    @ocpp201
    Examples: OCPP 2.0.1
      | version | field                 | code                          |
      | 2.0.1   | chargingStation/model | OccurrenceConstraintViolation |

  @SchemaValidation
  Scenario Outline: A complete BootNotification is accepted (OCPP <version>)
    Given the charge point speaks OCPP <version>
    When it describes itself in a complete BootNotification
    Then the message is accepted

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
