"""Every event verb the tours app records, in the past tense like every event (see trials/events.py).
A state change's event holds `from` and `to`; the flow table (flows.py) names the verb of each of
its transitions. The notification a transition sends is of the same kind."""


class TourEvents:
    AVAILABILITY_SAVED = "tour.availability_saved"
    REQUESTED = "tour.requested"
    REMINDED = "tour.reminded"
    RATED = "tour.rated"
    # State changes (tours/flows.py)
    CONFIRMED = "tour.confirmed"
    PROPOSED = "tour.proposed"
    PROPOSAL_ACCEPTED = "tour.proposal_accepted"
    PROPOSAL_DECLINED = "tour.proposal_declined"
    CANCELLED = "tour.cancelled"
    EXPIRED = "tour.expired"
