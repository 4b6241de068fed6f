from .urls_consultations import urlpatterns as consultation_patterns
from .urls_key_messages import urlpatterns as key_message_patterns

app_name = "consultations"

urlpatterns = consultation_patterns + key_message_patterns
