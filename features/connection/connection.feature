Feature: One connection at a time, on an agreed protocol
  A charge point keeps at most one connection to its CSMS, and it only talks OCPP over a
  connection on which both sides agreed the OCPP version.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @SingleConnection
  Scenario Outline: Never two connections at once, even across reconnects (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS drops the connection 2 times, each time once the charge point is back online
    Then the CSMS never sees two connections from the charge point at the same time

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @Subprotocol
  Scenario Outline: The CSMS agrees on no OCPP version with the charge point (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS agrees on no OCPP version with the charge point for the next 3 connections
    When the charge point is started
    Then the charge point reconnects 3 times, each within the back-off window of its attempt
    And the charge point does not go online while no OCPP version is agreed
    And the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @SchemaValidity
  Scenario Outline: Everything the charge point sends through a reconnect is valid OCPP (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS asks the charge point to send a StatusNotification
    Then the charge point answers Accepted
    And a StatusNotification arrives
    When the CSMS closes the connection
    Then the charge point comes online
    And the CSMS found nothing wrong

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @SchemaValidity
  Scenario Outline: The CSMS answers a heartbeat with a broken message (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS answers the next Heartbeat with a message that breaks its schema
    Then it keeps sending heartbeats: 2 more arrive
    And the CSMS found nothing wrong

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
