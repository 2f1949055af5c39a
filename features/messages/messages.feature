Feature: Messages go one at a time, and on request
  OCPP-J allows one message in flight at a time, and the CSMS can ask the charge point to send
  a message now — which it does only when it is in a state to do so.

  Background:
    Given the charge point's reconnect policy is:
      | initial back-off | 100 ms  |
      | maximum back-off | 1600 ms |
      | jitter           | ±20 %   |
      | resume delay     | 250 ms  |
    And the CSMS accepts the charge point with a heartbeat every 1 second

  @OneCallInFlight
  Scenario Outline: The CSMS answers slowly (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    And the CSMS answers each numbered message only after 300 ms
    When the charge point sends 3 numbered messages in quick succession
    Then each numbered message reaches the CSMS only after the one before was answered

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |

  @TriggerMessage
  Scenario Outline: The CSMS asks for a <message> (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the charge point is online
    When the CSMS asks the charge point to send a <message>
    Then the charge point answers Accepted
    And a <message> arrives

    @ocpp16
    Examples: OCPP 1.6
      | version | message            |
      | 1.6     | Heartbeat          |
      | 1.6     | StatusNotification |

    @ocpp201
    Examples: OCPP 2.0.1
      | version | message            |
      | 2.0.1   | Heartbeat          |
      | 2.0.1   | StatusNotification |

  @TriggerMessage
  Scenario Outline: The CSMS asks for a Heartbeat while the boot is pending (OCPP <version>)
    Given the charge point speaks OCPP <version>
    And the CSMS answers every boot with Pending and a retry interval of 30 seconds
    When the charge point is started
    And 1 second passes
    And the CSMS asks the charge point to send a Heartbeat
    Then the charge point answers Rejected
    And no Heartbeat arrives within 2 seconds

    @ocpp16
    Examples: OCPP 1.6
      | version |
      | 1.6     |

    @ocpp201
    Examples: OCPP 2.0.1
      | version |
      | 2.0.1   |
