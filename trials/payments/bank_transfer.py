from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.money import quantize

from ..models import Payment, PaymentProvider
from .base import Provider


class BankTransferProvider(Provider):
    """对公转账: the buyer transfers to our company account quoting a reference; staff match the
    statement line to the reference and mark the payment received in the admin."""

    code = PaymentProvider.BANK_TRANSFER

    def start(self, payment: Payment) -> list[str]:
        if payment.trial_id:
            payment.reference_code = f"YT{payment.trial_id:06d}-{payment.attempt}"
        else:  # a bulk order's deposit (D) or balance (B)
            payment.reference_code = (
                f"YB{payment.bulk_order_id:06d}-{payment.purpose[0].upper()}{payment.attempt}"
            )
        return ["reference_code"]

    def details(self, payment: Payment) -> dict[str, Any]:
        account = getattr(settings, "BANK_TRANSFER_ACCOUNT", {}) or {}
        return {
            "instructions": {
                "account_name": account.get("account_name", "源头科技有限公司"),
                "bank": account.get("bank", "中国工商银行杭州分行"),
                "account_number": account.get("account_number", "1202 0000 0000 0000 000"),
                "amount": str(quantize(payment.amount)),
                "currency": payment.currency,
                "reference": payment.reference_code,
                "note": _("Quote the reference in the transfer remark so we can match your payment."),
            }
        }
