Feature: The charge point comes back after the CSMS drops it
  A charge point that loses its connection must come back on its own: it waits a back-off
  delay, connects again, boots again, and only then resumes its heartbeats.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @Reconnect_Basic
  Scenario Outline: The CSMS closes the connection (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    Then the charge point connects again within the back-off window of attempt 1
    And its first message on the new connection is a BootNotification
    And once the boot is accepted, heartbeats resume after the resume delay
    And it keeps sending heartbeats: 2 more arrive

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @AbruptTermination
  Scenario Outline: The network cuts the connection without warning (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the network cuts the connection without warning
    Then the charge point connects again within the back-off window of attempt 1
    And its first message on the new connection is a BootNotification
    And the charge point comes online

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
