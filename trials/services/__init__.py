"""Every write of the trials app. Views, admin actions and beat tasks call these functions."""
