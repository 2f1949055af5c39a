Feature: After a reconnect the charge point waits the resume delay before it talks again
  Right after a reconnect the CSMS is busiest. The charge point boots again, and after the
  boot is accepted it waits the resume delay before it sends anything else.

  Background:
    Given the CSMS accepts the charge point with a heartbeat every 1 second

  @ResumeDelay_RespectsPolicy
  Scenario Outline: A resume delay of 750 ms (OCPP <version>)
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 750 ms  |
    And the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    Then the charge point connects again within the back-off window of attempt 1
    And once the boot is accepted, heartbeats resume after the resume delay

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @Reconnect_NoReboot
  Scenario Outline: A charge point that does not re-boot on a plain reconnect (OCPP <version>)
    Given the charge point's reconnect policy is:
      | initial back-off    | 100 ms  |
      | maximum back-off    | 1600 ms |
      | jitter              | ±20 %   |
      | resume delay        | 250 ms  |
      | reboot on reconnect | no      |
    And the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS closes the connection
    Then the charge point connects again within the back-off window of attempt 1
    And its heartbeats resume the resume delay after the connection opened
    And it sends no BootNotification on the new connection

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
