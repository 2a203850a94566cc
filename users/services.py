from django.db import transaction

from lookup.models import WordList


@transaction.atomic
def delete_account(*, user) -> None:
    """Delete the user and their lists; dictionaries and entries stay."""
    WordList.objects.owned_by(user).delete()
    user.delete()
