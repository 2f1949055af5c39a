Feature: The charge point boots before it does anything else
  Until the CSMS accepts its BootNotification the charge point sends nothing else, and when
  the CSMS says Pending or Rejected it retries no sooner than the interval the CSMS gave.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @Boot_PendingThenAccepted
  Scenario Outline: The CSMS answers the first boot with Pending (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS answers the first boot with Pending and a retry interval of 2 seconds, then accepts it
    When the charge point is started
    Then it sends nothing but BootNotifications until its boot is accepted
    And it retries the BootNotification no sooner than the retry interval
    And once the boot is accepted, heartbeats resume after the resume delay

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @Boot_RejectedRetry
  Scenario Outline: The CSMS answers the first boot with Rejected (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS answers the first boot with Rejected and a retry interval of 2 seconds, then accepts it
    When the charge point is started
    Then it sends nothing but BootNotifications until its boot is accepted
    And it retries the BootNotification no sooner than the retry interval
    And once the boot is accepted, heartbeats resume after the resume delay

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
