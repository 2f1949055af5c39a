Feature: The charge point survives a hostile network
  Real networks do worse than close a connection politely: the CSMS restarts, and the way
  back in is refused for a while. The charge point keeps backing off and comes back.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @CsmsRestart
  Scenario Outline: The CSMS restarts on the same address (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS restarts and is gone for 1 second
    Then the charge point is back online within 4 seconds
    And its first message on the new connection is a BootNotification

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @UpgradeRefused
  Scenario Outline: The CSMS refuses the charge point with HTTP <status> for a while (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS refuses the next 3 connection attempts with HTTP <status>
    When the charge point is started
    Then the charge point reconnects 3 times, each within the back-off window of its attempt
    And the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version | status |
      | 1.6     | 401    |
      | 1.6     | 404    |

    @ocpp201
    Examples: OCPP 2.0.1
      | version | status |
      | 2.0.1   | 401    |
      | 2.0.1   | 404    |
